/**
 * ST DfuSe files (UM0391): {@link io.github.dfu4j.formats.dfuse.DfuseFile} reads and writes them;
 * each element is one segment bound to its target (alt setting + name).
 */
package io.github.dfu4j.formats.dfuse;
