import React, { useState } from 'react';
import { Box, Button, H3, Icon, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { BomChoice } from './export-csv.jsx';

const api = new ApiClient();

/** "Export selected": the resource's export, restricted to the selected records' ids. */
const BulkExport = ({ action, resource, records }) => {
  const [bom, setBom] = useState(true);
  const [names, setNames] = useState(null);
  const ids = (records || []).map((r) => r.id);
  React.useEffect(() => {
    api
      .bulkAction({ resourceId: resource.id, recordIds: ids, actionName: action.name })
      .then((response) => setNames(response.data.fileNames));
  }, [resource.id, ids.join(',')]);
  const href = (format) => {
    const q = new URLSearchParams({ ids: ids.join(',') });
    if (format === 'csv' && bom) q.set('bom', '1');
    return `${action.custom.href}.${format}?${q}`;
  };
  return (
    <Box variant="container" data-testid="bulk-export">
      <H3>
        Export {ids.length} selected {resource.name}
      </H3>
      <Text mb="lg">Soft-deleted rows are left out of exports.</Text>
      <BomChoice id="bulk-export-bom" bom={bom} setBom={setBom} />
      <Button as="a" href={href('csv')} variant="contained" mr="default" data-testid="bulk-export-csv">
        <Icon icon="Download" />
        CSV
      </Button>
      <Button as="a" href={href('xlsx')} variant="outlined" data-testid="bulk-export-xlsx">
        <Icon icon="Download" />
        Excel
      </Button>
      {names && (
        <Text mt="default" data-testid="bulk-export-filenames">
          {names.csv} · {names.xlsx}
        </Text>
      )}
    </Box>
  );
};

export default BulkExport;
