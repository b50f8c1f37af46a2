/**
 * The HTTP API of {@code ../API.md}: thin adapters that parse requests, hand accepted images to the
 * intake route and map every rejection to an {@code application/problem+json} answer.
 */
package io.stillwater.api;
