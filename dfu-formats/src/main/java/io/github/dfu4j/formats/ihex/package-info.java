/** Intel HEX (I8HEX, I16HEX, I32HEX): {@link io.github.dfu4j.formats.ihex.IntelHex}. */
package io.github.dfu4j.formats.ihex;
