/**
 * Underwater cameras: the registry operators configure (and its live state from health checks), capture
 * requests, per-camera capture rates shared through the database, schedules, and the HTTP clients the
 * capture and health routes ({@code routes/cameras.camel.yaml}) use.
 */
package io.stillwater.camera;
