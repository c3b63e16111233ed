/** ELF32 little-endian executables (ARM, RISC-V): {@link io.github.dfu4j.formats.elf.Elf32}. */
package io.github.dfu4j.formats.elf;
