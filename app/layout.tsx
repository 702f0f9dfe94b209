import type { Metadata, Viewport } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Doodle Dance", template: "%s · Doodle Dance" },
  description: "A quick real-time drawing game for friends: one word, a ticking clock, everyone draws at once.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#fbf7ee",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="logo" aria-label="Doodle Dance, home">
            <Squiggle />
            <span>
              Doodle <em>Dance</em>
            </span>
          </Link>
        </header>
        <main className="site-main">{children}</main>
        <footer className="site-footer">
          Doodles from the{" "}
          <a href="https://quickdraw.withgoogle.com/data" rel="noreferrer">
            Quick, Draw! dataset
          </a>{" "}
          by Google,{" "}
          <a href="https://creativecommons.org/licenses/by/4.0/" rel="license noreferrer">
            CC BY 4.0
          </a>
        </footer>
      </body>
    </html>
  );
}

function Squiggle() {
  return (
    <svg className="logo-mark" viewBox="0 0 40 40" width="34" height="34" aria-hidden="true">
      <circle cx="20" cy="20" r="17" fill="#ffd166" stroke="#1f2433" strokeWidth="2.5" />
      <path d="M9 23c3-7 6-7 8 0s5 7 7 0 5-7 8 0" fill="none" stroke="#1f2433" strokeWidth="2.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
