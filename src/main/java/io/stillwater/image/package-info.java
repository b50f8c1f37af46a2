/**
 * The image engine: format detection and header reading without decoding pixels, decoding with
 * damage detection, EXIF orientation, the operations, and encoding. Plain Java, no Camel types, so
 * it is tested and benchmarked on its own.
 */
package io.stillwater.image;
