package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One step of an output's {@code ops}, named by its {@code op} field. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({@JsonSubTypes.Type(value = Resize.class, name = "resize")})
public sealed interface Operation permits Resize {}
