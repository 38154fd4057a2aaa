# The workers: eval-worker and training-worker behind one `bellm` command, the command of every step Job the
# operator creates (bellm sweep|evaluate|train ...). CPU PyTorch from the pytorch-native-cpu jar.
#   mvn -B package -DskipTests -pl eval-worker,training-worker -am
#   docker build -f docker/workers.Dockerfile -t ghcr.io/bellm/workers:0.1.0 .
#   (--build-arg BASE_IMAGE=IMAGE for another base; scripts/build-images.sh builds all three without a registry)
# The base: any JRE 17 image that leaves USER at root (the groupadd/useradd below need it). Without a registry,
# scripts/build-images.sh passes its locally built bellm/base-jre:bookworm.
ARG BASE_IMAGE=eclipse-temurin:17-jre
# both jars find their dependencies in lib/ (manifest Class-Path); the shared ones are the same files. The two lib/
# directories are merged here and copied as one layer: copied one after the other, every shared jar (PyTorch's 112 MB
# native jar among them) would be stored in both layers.
FROM ${BASE_IMAGE} AS libs
COPY eval-worker/target/lib/ /bellm-lib/
COPY training-worker/target/lib/ /bellm-lib/

FROM ${BASE_IMAGE}
RUN groupadd --gid 10001 bellm && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/bellm bellm
WORKDIR /opt/bellm
COPY --from=libs /bellm-lib/ lib/
COPY eval-worker/target/eval-worker.jar training-worker/target/training-worker.jar ./
COPY docker/bellm-worker.sh /usr/local/bin/bellm
# the root filesystem may be read-only: DJL extracts libtorch (~430 MB) into DJL_CACHE_DIR at first use, so it and
# Java's temporary files go to /tmp (an emptyDir or tmpfs there; the Jobs' working directory /work is one too)
ENV OMP_WAIT_POLICY=PASSIVE \
    DJL_CACHE_DIR=/tmp/djl \
    ENGINE_CACHE_DIR=/tmp/djl
USER 10001:10001
# the Jobs run in their own working directory (/work, an emptyDir)
WORKDIR /home/bellm
ENTRYPOINT ["bellm"]
