# One image for every binary of the suite (grassroots-<service>, the gateway
# and grassroots-cli in /usr/local/bin); the container's command picks one.
#   docker build -t grassroots:dev .
# The build stage installs the toolchain with deploy/install-deps.sh, as a
# developer's machine does; the final stage has only the shared libraries
# the binaries load (found by deploy/container/runtime-packages.sh), no
# compiler, no package lists, and runs as an unprivileged user.

FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY deploy/install-deps.sh /src/deploy/install-deps.sh
RUN bash /src/deploy/install-deps.sh
COPY . /src
WORKDIR /src
# Every directory under services/ builds grassroots-<directory>.
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRASSROOTS_BENCHMARKS=OFF \
 && cmake --build /build -j"$(nproc)" --target $(for d in services/*/; do printf 'grassroots-%s ' "$(basename "$d")"; done) \
 && mkdir /out \
 && cp /build/services/*/grassroots-* /out/ \
 && strip --strip-debug /out/* \
 && bash deploy/container/runtime-packages.sh /out/* > /out/runtime-packages.txt

FROM debian:12-slim
COPY --from=build /out/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && xargs apt-get install -y --no-install-recommends ca-certificates < /tmp/runtime-packages.txt \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --system --gid 10001 grassroots \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin grassroots
COPY --from=build /out/grassroots-* /usr/local/bin/
USER 10001:10001
# gRPC, JSON (gateway) and metrics ports of the gateway and the services.
EXPOSE 7100-7199 8100 9100-9199
CMD ["grassroots-cli"]
