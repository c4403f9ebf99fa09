// Line icons for the navigation, drawn on a 16×16 grid with the current text colour.
import type { ReactNode } from 'react';

function Icon(props: { children: ReactNode }) {
  return (
    <svg
      className="nav-icon"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      {props.children}
    </svg>
  );
}

export const icons = {
  fleet: (
    <Icon>
      <rect x="2" y="2.5" width="5" height="4.5" rx="1" />
      <rect x="9" y="2.5" width="5" height="4.5" rx="1" />
      <rect x="2" y="9" width="5" height="4.5" rx="1" />
      <rect x="9" y="9" width="5" height="4.5" rx="1" />
    </Icon>
  ),
  dispatch: (
    <Icon>
      <path d="M2.5 8h8" />
      <path d="M8 4.5 11.5 8 8 11.5" />
      <path d="M13.5 3v10" />
    </Icon>
  ),
  evidence: (
    <Icon>
      <path d="M4 1.5h5.5L12.5 4.5V14a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V2a.5.5 0 0 1 .5-.5Z" />
      <path d="m5.8 9.2 1.6 1.6 3-3.2" />
    </Icon>
  ),
  variance: (
    <Icon>
      <path d="M2 13.5h12" />
      <path d="M4 11V7" />
      <path d="M8 11V3" />
      <path d="M12 11V5.5" />
    </Icon>
  ),
  reports: (
    <Icon>
      <path d="M2.5 13.5V2.5" />
      <path d="M2.5 13.5h11" />
      <path d="m4.5 10 3-3 2 2 4-4.5" />
    </Icon>
  ),
  exports: (
    <Icon>
      <path d="M8 2v8" />
      <path d="M5 7l3 3 3-3" />
      <path d="M2.5 11v2a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1v-2" />
    </Icon>
  ),
  settings: (
    <Icon>
      <circle cx="8" cy="8" r="2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </Icon>
  ),
  chevron: (
    <Icon>
      <path d="m5 6.5 3-3 3 3" />
      <path d="m5 9.5 3 3 3-3" />
    </Icon>
  ),
  check: (
    <Icon>
      <path d="m3.5 8.5 3 3 6-7" />
    </Icon>
  ),
  plus: (
    <Icon>
      <path d="M8 3v10M3 8h10" />
    </Icon>
  ),
};
