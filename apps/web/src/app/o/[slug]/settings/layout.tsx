import type { ReactNode } from 'react';
import { SettingsTabs } from '~/components/settings-tabs.tsx';

export default function SettingsLayout(props: { children: ReactNode }) {
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="muted">The organization, its people, its agents and its access.</p>
        </div>
      </div>
      <SettingsTabs />
      {props.children}
    </div>
  );
}
