/** Helpers shared by the text formats. Not exported. */
package io.github.dfu4j.formats.internal;
