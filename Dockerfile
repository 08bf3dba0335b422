FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
ENV NODE_ENV=production
# The compose file picks the entry point (command-api, query-api or projectors) per service.
CMD ["npm", "start"]
