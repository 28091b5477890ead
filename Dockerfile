# Switchyard container image. Multi-stage: the build stage compiles and packs, the runtime stage holds only
# the packed package and its production dependencies, and runs as the unprivileged `node` user.
#   podman build -t switchyard .        (or docker build)
#   podman run -p 80:80 -p 8080:8080 -v ./switchyard.yml:/etc/switchyard/switchyard.yml:ro switchyard
# See docs/operations.md ("Containers").

# The base image of both stages: any image with Node.js >= 20.18, npm, a shell and a `node` user (uid 1000).
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
# npm settings for the build: a registry mirror, or offline from a cache mounted on /root/.npm.
ARG NPM_CONFIG_REGISTRY=https://registry.npmjs.org/
ARG NPM_CONFIG_OFFLINE=false
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# `npm pack` applies the package's `files` list: what is installed is what npm users get.
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir /app \
 && tar -xzf /tmp/switchyard-*.tgz -C /app --strip-components=1 \
 && cp package-lock.json /app/
WORKDIR /app
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm package-lock.json

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# Traefik's ports: 80 (web), 443 (websecure), 8080 (API, dashboard, /ping).
EXPOSE 80 443 8080
USER node
# `switchyard healthcheck` reads the same static configuration as the instance (/etc/switchyard/switchyard.yml
# or SWITCHYARD_* variables) and asks /ping on the ping entrypoint: enable `ping` there.
HEALTHCHECK --interval=15s --timeout=10s --start-period=10s --retries=3 \
  CMD ["node", "/app/bin/switchyard.js", "healthcheck"]
# Exec form: node is PID 1 and receives SIGTERM itself (graceful drain); no shell, no init in between.
ENTRYPOINT ["node", "/app/bin/switchyard.js"]
