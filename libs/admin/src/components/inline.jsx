import React from 'react';
import { Box, Label, Link, Loader, TableCell, TableRow, Text } from '@adminjs/design-system';
import { BasePropertyComponent, useResource, useTranslation, ViewHelpers } from 'adminjs';
import { api, useApiData } from './api.jsx';
import { DataTable } from './data-table.jsx';

const h = new ViewHelpers();
const SHOWN = 20;

/**
 * Django's read-only inline: the records of another resource that point to this one (a party's
 * invites), with that resource's own list columns, rendered as its list renders them.
 */
const Inline = ({ property, record, resource }) => {
  const { resourceId, foreignKey } = property.custom;
  const target = useResource(resourceId);
  const { translateProperty, translateLabel } = useTranslation();
  const { data: page } = useApiData(
    () =>
      api
        .resourceAction({
          resourceId,
          actionName: 'list',
          params: { [`filters.${foreignKey}`]: record.id, perPage: SHOWN },
        })
        .then((response) => response.data),
    [resourceId, foreignKey, record.id],
  );

  const label = translateProperty(property.label, resource.id);
  if (!target) return null;
  const columns = target.listProperties.filter((p) => p.path !== foreignKey);
  const all = h.resourceUrl({ resourceId, search: `?filters.${foreignKey}=${record.id}` });

  return (
    <Box mb="xl" data-testid={`inline-${property.path}`}>
      <Label>{label}</Label>
      {!page ? (
        <Loader />
      ) : page.records.length === 0 ? (
        <Text data-testid="inline-empty">None</Text>
      ) : (
        <>
          <DataTable head={[...columns.map((p) => translateProperty(p.label, resourceId)), null]}>
            {page.records.map((r) => (
              <TableRow key={r.id} data-testid="inline-row">
                {columns.map((p) => (
                  <TableCell key={p.path}>
                    <BasePropertyComponent where="list" property={p} resource={target} record={r} />
                  </TableCell>
                ))}
                <TableCell>
                  <Link
                    href={h.recordActionUrl({ resourceId, recordId: r.id, actionName: 'show' })}
                  >
                    Open
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </DataTable>
          <Text mt="default">
            <Link href={all} data-testid="inline-all">
              {page.meta.total > page.records.length
                ? `All ${page.meta.total} ${translateLabel(resourceId)}`
                : `Open as a list (${page.meta.total})`}
            </Link>
          </Text>
        </>
      )}
    </Box>
  );
};

export default Inline;
