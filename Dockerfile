# Switchboard's image for those who build with Docker (the release image is built by Jib: ./switchboard image).
#   ./mvnw -DskipTests package && docker build -t switchboard .
# Any Java 21+ runtime image with bash will do as the base.
ARG BASE=eclipse-temurin:25-jre
FROM ${BASE}
USER root
RUN (getent group 10001 >/dev/null || groupadd --gid 10001 switchboard) \
 && (getent passwd 10001 >/dev/null || useradd --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin switchboard) \
 && mkdir -p /data && chown 10001:10001 /data && chmod 700 /data
COPY target/lib/ /app/lib/
COPY target/switchboard.jar /app/switchboard.jar
ENV SWITCHBOARD_DATA_DIR=/data \
    SWITCHBOARD_MANAGEMENT_PORT=9464 \
    SWITCHBOARD_LOG_FORMAT=json
USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SWITCHBOARD_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# JAVA_TOOL_OPTIONS, read by the JVM itself, adds to or overrides these.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/switchboard.jar"]
CMD ["serve"]
