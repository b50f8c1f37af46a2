/**
 * Benchmarks that print figures; run by hand (see the README's performance section), never as tests.
 * The photos come from {@code bench/fetch-photos.sh}.
 */
package io.stillwater.bench;
