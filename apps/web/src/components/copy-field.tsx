'use client';

import { useRef, useState } from 'react';

/** A read-only value (an invite link, a new token) with a copy button. */
export function CopyField(props: { value: string; label: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(props.value);
    } catch {
      // The Clipboard API needs a secure context; fall back to selecting the text.
      input.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }

  return (
    <div className="secret">
      <input
        ref={input}
        className="input"
        readOnly
        value={props.value}
        aria-label={props.label}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" className="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
