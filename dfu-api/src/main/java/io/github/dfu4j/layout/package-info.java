/**
 * DfuSe memory layouts: {@link io.github.dfu4j.layout.MemoryLayout#parse(String, String)} turns an
 * alternate setting's interface string into regions and sectors with their read/erase/write access,
 * looked up by address; {@link io.github.dfu4j.layout.MemoryLayout#format()} writes the canonical string.
 */
package io.github.dfu4j.layout;
