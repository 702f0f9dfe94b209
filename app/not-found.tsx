import Link from "next/link";

export default function NotFound() {
  return (
    <div className="centered">
      <section className="card narrow">
        <h1 className="card-title">Nothing to see here</h1>
        <p>This page doesn&apos;t exist. Maybe start a room instead?</p>
        <Link className="btn primary" href="/">
          Go home
        </Link>
      </section>
    </div>
  );
}
