/**
 * The edge role's uplink (routes/uplink.camel.yaml): renditions rendered at the edge wait in the local
 * object store and a priority-ordered outbox queue until they are copied to the cloud object store, at
 * a configured rate, pausing while the link is down.
 */
package io.stillwater.uplink;
