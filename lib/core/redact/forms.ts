/**
 * Every form a secret can take on the wire or in a record, so that none of them leaks: a secret
 * used as a query parameter is recorded form-encoded (`my+secret%2Fpass%21`), in a URL path
 * path-encoded (`my%20secret/pass!`, `\` turned into `/`), in a JSON body JSON-escaped
 * (`quo\"te`), and so on. Each form is derived with the same encoder that produces it on the wire.
 */
export function wireForms(secret: string): Set<string> {
  const forms = encodedForms(secret);
  // Written into a URL as it is, "?" and "#" split a secret between path, query and fragment:
  // each piece is then encoded on its own, and must be masked on its own.
  const pieces = secret.split(/[?#]/);
  if (pieces.length > 1) for (const piece of pieces) if (piece.length >= 4) for (const form of encodedForms(piece)) forms.add(form);
  return forms;
}

function encodedForms(secret: string): Set<string> {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURI(secret));
  // application/x-www-form-urlencoded: URLSearchParams (params, urlencoded bodies, OAuth forms).
  forms.add(new URLSearchParams([['', secret]]).toString().slice(1));
  // As the WHATWG URL parser writes it into a path and into a query.
  const url = new URL('http://h/');
  url.pathname = `/${secret}`;
  forms.add(url.pathname.slice(1));
  url.search = `?${secret}`;
  forms.add(url.search.slice(1));
  url.hash = `#${secret}`;
  forms.add(url.hash.slice(1));
  // Inside a JSON string (a JSON body, a record): quotes, backslashes and controls escaped.
  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.delete('');
  return forms;
}
