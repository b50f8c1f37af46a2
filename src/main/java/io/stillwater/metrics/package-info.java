/**
 * The service's own metrics, all named {@code stillwater.*} (Prometheus: {@code stillwater_*}), served with
 * the JVM's and Camel's at {@code /actuator/prometheus}: jobs by state, queue depths and ages, and how long
 * transforms and whole jobs take.
 */
package io.stillwater.metrics;
