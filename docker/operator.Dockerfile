# The operator: the Quarkus application of operator/.
#   mvn -B package -DskipTests -pl operator -am
#   docker build -f docker/operator.Dockerfile -t ghcr.io/bellm/operator:0.1.0 .
#   (--build-arg BASE_IMAGE=IMAGE for another base; scripts/build-images.sh builds all three without a registry)
# The base: any JRE 17 image that leaves USER at root (the groupadd/useradd below need it). Without a registry,
# scripts/build-images.sh passes its locally built bellm/base-jre:bookworm.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
RUN groupadd --gid 10001 bellm && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp bellm
WORKDIR /opt/bellm
# Quarkus's fast-jar layout, dependencies first (they change least); owned by root, so read-only for the process
COPY operator/target/quarkus-app/lib/ lib/
COPY operator/target/quarkus-app/quarkus/ quarkus/
COPY operator/target/quarkus-app/app/ app/
COPY operator/target/quarkus-app/quarkus-run.jar ./
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
# numeric, so Kubernetes can check runAsNonRoot
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar /opt/bellm/quarkus-run.jar"]
