# embed-service: the Quarkus application of embed-service/ (DJL + PyTorch on the CPU; libtorch comes from the
# pytorch-native-cpu jar and is extracted to DJL_CACHE_DIR at the first start, ~430 MB).
#   mvn -B package -DskipTests -pl embed-service -am
#   docker build -f docker/embed-service.Dockerfile -t ghcr.io/bellm/embed-service:0.1.0 .
#   (--build-arg BASE_IMAGE=IMAGE for another base; scripts/build-images.sh builds all three without a registry)
# The base: any JRE 17 image that leaves USER at root (the groupadd/useradd below need it). Without a registry,
# scripts/build-images.sh passes its locally built bellm/base-jre:bookworm.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
RUN groupadd --gid 10001 bellm && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp bellm
WORKDIR /opt/bellm
COPY embed-service/target/quarkus-app/lib/ lib/
COPY embed-service/target/quarkus-app/quarkus/ quarkus/
COPY embed-service/target/quarkus-app/app/ app/
COPY embed-service/target/quarkus-app/quarkus-run.jar ./
# writable places for a read-only root filesystem: the chart mounts emptyDirs and points these at them
ENV DJL_CACHE_DIR=/tmp/djl \
    ENGINE_CACHE_DIR=/tmp/djl \
    BELLM_MODEL_CACHE_DIR=/tmp/models \
    OMP_WAIT_POLICY=PASSIVE \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar /opt/bellm/quarkus-run.jar"]
