# syntax=docker/dockerfile:1
# Stillwater service image. Two stages: build the Spring Boot jar with the Maven wrapper on a JDK,
# run it on a JRE as a non-root user. Ubuntu-based Temurin (not Alpine): the bundled libwebp natives
# of webp-imageio need glibc.
#
#   docker build -t stillwater .
#   docker run -p 8080:8080 -e SPRING_PROFILES_ACTIVE=prod ... stillwater   (see docker-compose.yml)

FROM eclipse-temurin:17.0.13_11-jdk AS build
WORKDIR /build
# The wrapper and the POM first; then the sources. routes/ and artemis-config/broker.xml are packaged
# into the jar as resources (pom.xml).
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
COPY routes/ routes/
COPY artemis-config/broker.xml artemis-config/broker.xml
# The cache mount keeps Maven and the dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests package \
 && cp target/stillwater-*.jar /build/app.jar

FROM eclipse-temurin:17.0.13_11-jre
# libjpeg-turbo's TurboJPEG library (Ubuntu's package libturbojpeg, libturbojpeg.so.0): the engine
# decodes and encodes JPEG with it (stillwater.engine.turbojpeg: auto). Fonts: the camera simulator
# writes the camera id and time into its frames.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libturbojpeg fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
# /app/data: stillwater.data-dir (./data), written only by the embedded parts of the default profile.
RUN groupadd --system --gid 10001 stillwater \
 && useradd --system --uid 10001 --gid stillwater --home-dir /app --no-create-home --shell /usr/sbin/nologin stillwater \
 && mkdir -p /app/data \
 && chown stillwater:stillwater /app/data
WORKDIR /app
# Owned by root, so the service cannot rewrite its own code.
COPY --from=build /build/app.jar app.jar
USER stillwater
EXPOSE 8080
# The heap follows the container's memory limit (75% of it rather than the JVM's default 25%): decoding
# large images needs room. More JVM options: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "app.jar"]
