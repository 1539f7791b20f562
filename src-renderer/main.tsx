// Renderer entry: find the transport (desktop bridge or browser-mode token), then mount the app — or explain how
// to open Glimpse when neither is there.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectClient, setClient } from './client/client';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
const client = connectClient(window);
if (client) {
  setClient(client);
  root.render(<App />);
} else {
  root.render(
    <div className="state">
      <div className="state-card panel" role="alert">
        <h2>Glimpse needs its access token</h2>
        <p>Open the address printed by <code>glimpse serve</code> (it ends in <code>?token=…</code>).</p>
      </div>
    </div>,
  );
}
