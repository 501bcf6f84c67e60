import { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';

/** The panel's API client (one for every component: it holds no state of its own). */
export const api = new ApiClient();

/**
 * What an ApiClient call answers (`request` maps the response to it): `data` is null until it
 * arrives, `error` the failure's message if the call failed. Called again when `deps` change.
 */
export function useApiData(request, deps) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    request()
      .then(setData)
      .catch((e) => setError(e.message));
  }, deps);
  return { data, error };
}
