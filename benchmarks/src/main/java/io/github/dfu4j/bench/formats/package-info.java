/** JMH benchmarks of the dfu-formats readers (Intel HEX parse throughput against baselines). */
package io.github.dfu4j.bench.formats;
