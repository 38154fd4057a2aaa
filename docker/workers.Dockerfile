# The workers: eval-worker and training-worker behind one `bellm` command, the command of every step Job the
# operator creates (bellm sweep|evaluate|train ...). CPU PyTorch from the pytorch-native-cpu jar.
#   mvn -B package -DskipTests -pl eval-worker,training-worker -am
#   docker build -f docker/workers.Dockerfile -t ghcr.io/bellm/workers:0.1.0 .
FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 bellm && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/bellm bellm
WORKDIR /opt/bellm
# both jars find their dependencies in lib/ (manifest Class-Path); the shared ones are the same files
COPY eval-worker/target/lib/ lib/
COPY training-worker/target/lib/ lib/
COPY eval-worker/target/eval-worker.jar training-worker/target/training-worker.jar ./
COPY docker/bellm-worker.sh /usr/local/bin/bellm
ENV OMP_WAIT_POLICY=PASSIVE
USER 10001:10001
# the Jobs run in their own working directory (/work, an emptyDir)
WORKDIR /home/bellm
ENTRYPOINT ["bellm"]
