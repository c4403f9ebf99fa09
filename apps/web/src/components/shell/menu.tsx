'use client';

import { type ReactNode, useEffect, useRef, useState } from 'react';

/** A button that opens a popover list; closes on an outside click, Escape, or choosing an item. */
export function Menu(props: { label: string; trigger: ReactNode; children: ReactNode; placement?: 'down' | 'up' }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div ref={ref} className={`menu${props.placement === 'up' ? ' menu-up' : ''}`}>
      <button
        type="button"
        className="menu-trigger"
        aria-label={props.label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {props.trigger}
      </button>
      {open ? (
        // biome-ignore lint/a11y/useKeyWithClickEvents: closes the menu after a link or button inside was activated
        <div className="menu-popover" role="menu" onClick={() => setOpen(false)}>
          {props.children}
        </div>
      ) : null}
    </div>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0]?.slice(0, 2) ?? '?');
  return letters.toUpperCase();
}
