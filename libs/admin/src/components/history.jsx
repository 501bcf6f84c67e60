import React from 'react';
import { Box, H3, Loader, TableCell, TableRow, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import { api, useApiData } from './api.jsx';
import { DataTable } from './data-table.jsx';

const show = (value) => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** Django's "History": who changed what on this record and when, field by field. */
const History = ({ resource, record }) => {
  const { translateProperty } = useTranslation();
  const { data: entries, error } = useApiData(
    () =>
      api
        .recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'history' })
        .then((response) => response.data.entries || []),
    [resource.id, record.id],
  );

  if (error) return <Text>{error}</Text>;
  if (!entries) return <Loader />;
  return (
    <Box variant="container" data-testid="history">
      <H3>History of {record.title}</H3>
      {entries.length === 0 ? (
        <Text data-testid="history-empty">
          No changes recorded: this record has not been changed through the admin panel.
        </Text>
      ) : (
        <DataTable head={['When', 'Who', 'Action', 'Changes']}>
          {entries.map((entry) => (
            <TableRow key={entry.id} data-testid="history-entry">
              <TableCell>{new Date(entry.createdAt).toLocaleString()}</TableCell>
              <TableCell>{entry.actorEmail}</TableCell>
              <TableCell data-testid="history-action">{entry.action}</TableCell>
              <TableCell>
                {Object.entries(entry.changes || {}).map(([field, change]) => (
                  <Box key={field} data-testid={`history-change-${field}`}>
                    <strong>{translateProperty(field, resource.id)}</strong>: {show(change.from)}
                    {' → '}
                    {show(change.to)}
                  </Box>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </DataTable>
      )}
    </Box>
  );
};

export default History;
