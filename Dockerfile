# syntax=docker/dockerfile:1
# The examples (chat and board) as a container image: build with Maven, run on a JRE as a non-root user.
#
#   docker build -t switchboard-examples .            (or: podman build / buildah bud)
#   docker run --rm -p 8080:8080 switchboard-examples                       # the chat, one node
#   docker run --rm -p 8080:8080 -e BACKPLANE=redis://redis:6379 switchboard-examples
#   docker run --rm -p 8080:8080 switchboard-examples board                 # the task board
#
# Both base images can be replaced (e.g. by images made from Debian's packages) with --build-arg; see
# docs/deployment.md and deploy/check/build-image.sh.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository is a build cache, not a layer.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl examples -am package \
    && mkdir -p /app/lib \
    && cp examples/target/lib/*.jar /app/lib/ \
    && cp examples/target/switchboard-examples.jar /app/switchboard-examples.jar

FROM ${RUNTIME_IMAGE}
# A fixed, unprivileged user: Kubernetes' runAsNonRoot can check the numeric id.
RUN groupadd --gid 10001 switchboard \
    && useradd --uid 10001 --gid switchboard --home-dir /app --no-create-home --shell /usr/sbin/nologin switchboard
WORKDIR /app
COPY --from=build --chown=root:root /app /app
USER 10001:10001
# JVM flags for containers: size the heap from the container's memory limit (not the node's), fail fast on
# OutOfMemoryError so the orchestrator restarts the pod, JSON logs with the MDC ids on stdout. Override
# with -e JAVA_OPTS=... (JDK_JAVA_OPTIONS is read by the java launcher itself).
ENV JDK_JAVA_OPTIONS="-XX:InitialRAMPercentage=50 -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dlogback.configurationFile=logback-json.xml" \
    PORT=8080
EXPOSE 8080
# Exec form: the JVM is PID 1 and gets SIGTERM directly, so the examples' shutdown hook closes clients
# with 1001 before the container stops.
ENTRYPOINT ["java", "-cp", "/app/switchboard-examples.jar:/app/lib/*", "dev.switchboard.examples.Examples"]
CMD ["chat"]
