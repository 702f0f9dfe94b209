/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole project with tsc; doing it again in every build (and so in
  // every `npm start`) would add ~30 s on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
};
export default nextConfig;
