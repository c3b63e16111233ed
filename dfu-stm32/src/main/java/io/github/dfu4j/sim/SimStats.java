package io.github.dfu4j.sim;

/**
 * Counters of what the simulated device did, for tests and the CLI's summary.
 *
 * @param requests      DFU class requests received
 * @param sectorErases  page/sector erases executed (mass erase not included)
 * @param massErases    mass erases executed
 * @param writes        data blocks executed (including failed ones)
 * @param bytesWritten  bytes of data blocks that were programmed successfully
 * @param uploads       UPLOAD requests answered with data
 * @param bytesRead     bytes returned by UPLOAD
 * @param failedOps     commands that ended in dfuERROR
 * @param enumerations  times the device appeared on the bus (1 + re-enumerations)
 */
public record SimStats(long requests, long sectorErases, long massErases, long writes, long bytesWritten, long uploads,
                       long bytesRead, long failedOps, long enumerations) {
}
