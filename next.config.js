/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/main.ts) owns the HTTP port and socket.io; Next only renders pages.
};
export default nextConfig;
