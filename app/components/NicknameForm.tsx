"use client";
// Asks for a nickname (validated like the server does) and remembers it on this device; a second
// button ("Watch") may send the same name another way.
import { useId, useState, type FormEvent } from "react";
import { NICKNAME_MAX_LENGTH, nicknameSchema } from "../../protocol";
import { saveNickname } from "../lib/storage";

type Props = {
  initial?: string;
  submitLabel: string;
  busy?: boolean;
  error?: string | null;
  submitTestId?: string;
  onSubmit: (nickname: string) => void;
  alternative?: { label: string; testId: string; onSubmit: (nickname: string) => void };
};

export function NicknameForm({ initial = "", submitLabel, submitTestId = "nickname-submit", busy = false, error, onSubmit, alternative }: Props) {
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = nicknameSchema.safeParse(value);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? "pick a nickname");
      return;
    }
    setProblem(null);
    saveNickname(parsed.data);
    // Enter in the field submits with the first button, as a click on it would.
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    (alternative && submitter?.dataset.testid === alternative.testId ? alternative.onSubmit : onSubmit)(parsed.data);
  }

  const shown = problem ?? error;
  return (
    <form className="stack" onSubmit={submit} data-testid="nickname-form" noValidate>
      <label htmlFor={id} className="label">
        Your nickname
      </label>
      <div className="row">
        <input
          id={id}
          className="input grow"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          maxLength={NICKNAME_MAX_LENGTH}
          autoComplete="nickname"
          placeholder="e.g. Picasso"
          data-testid="nickname-input"
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${id}-err` : undefined}
        />
        <button className="btn primary" type="submit" disabled={busy} data-testid={submitTestId}>
          {busy ? "One moment…" : submitLabel}
        </button>
        {alternative && (
          <button className="btn" type="submit" disabled={busy} data-testid={alternative.testId}>
            {alternative.label}
          </button>
        )}
      </div>
      {shown && (
        <p id={`${id}-err`} className="field-error" role="alert">
          {shown}
        </p>
      )}
    </form>
  );
}
