import React, { useEffect, useState } from 'react';
import { Box, Button, Icon, Input } from '@adminjs/design-system';
import { List, useQueryParams } from 'adminjs';

/**
 * A resource's list with a search box above it (Django's `search_fields`): the term goes into
 * the list's own query as `filters.q`, so paging, sorting, the filter drawer and the export
 * all see it.
 */
const SearchableList = (props) => {
  const { action } = props;
  const { filters, storeParams } = useQueryParams();
  const current = (filters && filters.q) || '';
  const [term, setTerm] = useState(current);
  useEffect(() => setTerm(current), [current]);

  const submit = (event) => {
    event.preventDefault();
    const next = { ...(filters || {}) };
    if (term.trim()) next.q = term.trim();
    else delete next.q;
    storeParams({ filters: next, page: '1' });
  };
  const label = (action.custom && action.custom.searchLabel) || 'Search';

  return (
    <Box>
      <Box as="form" role="search" onSubmit={submit} flex mx="xl" mb="lg" data-testid="search-form">
        <Input
          name="q"
          value={term}
          onChange={(event) => setTerm(event.target.value)}
          placeholder={label}
          aria-label={label}
          data-testid="search-input"
          style={{ flexGrow: 1 }}
          mr="default"
        />
        <Button type="submit" variant="contained" data-testid="search-submit">
          <Icon icon="Search" />
          Search
        </Button>
      </Box>
      <List {...props} />
    </Box>
  );
};

export default SearchableList;
