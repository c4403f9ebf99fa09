/** An honest page for a part of the product that does not exist yet: what it will show, no numbers. */
export function NotBuilt(props: { title: string; summary: string; willShow: string[] }) {
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{props.title}</h1>
          <p className="muted">{props.summary}</p>
        </div>
      </div>
      <section className="placeholder">
        <span className="badge placeholder-tag">Not built yet</span>
        <p>
          <strong>Not built yet:</strong> this page has no data behind it so far. When it is built it will show:
        </p>
        <ul>
          {props.willShow.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
