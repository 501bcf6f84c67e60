import React, { useEffect, useState } from 'react';
import { Box, Button, CheckBox, H3, Icon, Label, Loader, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const api = new ApiClient();

/** The list's filters and search (`filters.*`) from the page's query. */
export function listQuery(search) {
  const query = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(search)) {
    if (key.startsWith('filters.')) query.set(key, value);
  }
  return query;
}

export function hrefOf(base, format, query, bom) {
  const q = new URLSearchParams(query);
  if (format === 'csv' && bom) q.set('bom', '1');
  const text = q.toString();
  return `${base}.${format}${text ? `?${text}` : ''}`;
}

/** The "CSV for Excel" box: whether the CSV starts with a UTF-8 byte order mark. */
export const BomChoice = ({ id, bom, setBom }) => (
  <Box mb="lg" flex alignItems="center">
    <CheckBox id={id} checked={bom} onChange={() => setBom(!bom)} />
    <Label inline htmlFor={id} ml="default">
      CSV for Excel (UTF-8 byte order mark)
    </Label>
  </Box>
);

/** The export's formats, in the order their links show (`hrefOf` adds the BOM to CSV only). */
const FORMATS = [
  { format: 'csv', label: 'CSV', variant: 'contained' },
  { format: 'xlsx', label: 'Excel', variant: 'outlined' },
];

/** One format's download link, with the name the file will have. */
const Download = ({ href, format, label, variant, fileName, mb }) => (
  <Box mb={mb}>
    <Button
      as="a"
      href={href}
      variant={variant}
      data-testid={`export-${format}-download`}
      mr="default"
    >
      <Icon icon="Download" />
      {label}
    </Button>
    <Text as="span" data-testid={`export-${format}-filename`}>
      {fileName}
    </Text>
  </Box>
);

/**
 * "Export": opened in a drawer over the list, so the list's filters and search come along and
 * the export holds exactly the rows listed. The downloads are plain links to the admin-session
 * route `/admin/exports/<name>.<csv|xlsx>`, streamed by the same ExportsService as the API; the
 * file names shown are the ones the server sends (the action's handler computes them).
 */
const ExportCsv = ({ action, resource }) => {
  const search = typeof window === 'undefined' ? '' : window.location.search;
  const query = listQuery(search);
  const [info, setInfo] = useState(null);
  const [bom, setBom] = useState(true);

  useEffect(() => {
    api
      .resourceAction({
        resourceId: resource.id,
        actionName: action.name,
        params: Object.fromEntries(query),
      })
      .then((response) => setInfo(response.data));
  }, [resource.id, search]);

  if (!info) return <Loader />;
  const filtered = [...query.keys()].length > 0;
  return (
    <Box variant="container" data-testid="export-csv">
      <H3>Export {resource.name}</H3>
      <Text mb="lg" data-testid="export-count">
        {info.total} {info.total === 1 ? 'row' : 'rows'}
        {filtered ? ', as filtered and searched in the list' : ''}. Soft-deleted rows are left out.
        Rows are streamed from the database, so large exports start at once.
      </Text>
      <BomChoice id="export-bom" bom={bom} setBom={setBom} />
      {FORMATS.map(({ format, label, variant }, i) => (
        <Download
          key={format}
          href={hrefOf(action.custom.href, format, query, bom)}
          format={format}
          label={label}
          variant={variant}
          fileName={info.fileNames[format]}
          mb={i < FORMATS.length - 1 ? 'default' : undefined}
        />
      ))}
    </Box>
  );
};

export default ExportCsv;
