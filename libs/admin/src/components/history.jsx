import React, { useEffect, useState } from 'react';
import {
  Box,
  H3,
  Loader,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Text,
} from '@adminjs/design-system';
import { ApiClient, useTranslation } from 'adminjs';

const api = new ApiClient();

const show = (value) => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** Django's "History": who changed what on this record and when, field by field. */
const History = ({ resource, record }) => {
  const [entries, setEntries] = useState(null);
  const [error, setError] = useState(null);
  const { translateProperty } = useTranslation();

  useEffect(() => {
    api
      .recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'history' })
      .then((response) => setEntries(response.data.entries || []))
      .catch((e) => setError(e.message));
  }, [resource.id, record.id]);

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
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>Action</TableCell>
              <TableCell>Changes</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
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
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default History;
