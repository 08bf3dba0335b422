FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
# The bundles npm start runs (scripts/build.mjs), built once here: the service cannot write the code.
RUN npm run build
# The code stays root's and read-only to the service; it writes only under DATA_DIR (./data by default).
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production
USER node
# The compose file picks the entry point (command-api, query-api or projectors) per service.
CMD ["npm", "start", "--ignore-scripts"]
