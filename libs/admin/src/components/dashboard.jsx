import React from 'react';
import { Box, H2, H4, Link, Loader, TableCell, TableRow, Text } from '@adminjs/design-system';
import { api, useApiData } from './api.jsx';
import { DataTable } from './data-table.jsx';

const Actions = ({ title, entries, testId }) => (
  <Box variant="card" mb="xl" data-testid={testId}>
    <H4>{title}</H4>
    {entries.length === 0 ? (
      <Text>None yet.</Text>
    ) : (
      entries.map((e) => (
        <Box key={e.id} mb="default" data-testid="recent-action">
          <Text>
            <strong>{e.action}</strong>{' '}
            {e.href ? <Link href={e.href}>{e.title}</Link> : <span>{e.title}</span>}
          </Text>
          <Text variant="sm" color="grey60">
            {e.resourceLabel} · {e.actorEmail} · {new Date(e.createdAt).toLocaleString()}
          </Text>
        </Box>
      ))
    )}
  </Box>
);

/**
 * The index page, as Django admin's: every module with its resources, their row counts and
 * links, and the recent actions (yours and everyone's) from the audit log.
 */
const Dashboard = () => {
  const { data } = useApiData(() => api.getDashboard().then((response) => response.data), []);
  if (!data) return <Loader />;
  return (
    <Box variant="grey" data-testid="porch-dashboard">
      <H2 mb="xl">Site administration</H2>
      <Box flex flexDirection={['column', 'column', 'row']}>
        <Box flexGrow={2} mr={[0, 0, 'xl']}>
          {data.modules.map((module) => (
            <Box variant="card" mb="xl" key={module.name} data-testid={`module-${module.name}`}>
              <H4>{module.name}</H4>
              <DataTable head={['Resource', 'Rows', null]}>
                {module.resources.map((r) => (
                  <TableRow key={r.id} data-testid={`resource-${r.id}`}>
                    <TableCell>
                      <Link href={r.href}>{r.label}</Link>
                    </TableCell>
                    <TableCell data-testid={`count-${r.id}`}>
                      {r.count.toLocaleString('en')}
                    </TableCell>
                    <TableCell>{r.addHref && <Link href={r.addHref}>Add</Link>}</TableCell>
                  </TableRow>
                ))}
              </DataTable>
            </Box>
          ))}
        </Box>
        <Box flexGrow={1}>
          <Actions title="My recent actions" entries={data.mine} testId="recent-mine" />
          <Actions
            title="Everyone's recent actions"
            entries={data.everyone}
            testId="recent-everyone"
          />
        </Box>
      </Box>
    </Box>
  );
};

export default Dashboard;
