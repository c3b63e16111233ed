/** Motorola S-records (S19/S28/S37): {@link io.github.dfu4j.formats.srec.SRecord}. */
package io.github.dfu4j.formats.srec;
