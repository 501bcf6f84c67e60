import React, { useEffect } from 'react';
import { Box, Button, H3, Icon, Text } from '@adminjs/design-system';

/**
 * The "Export CSV" resource action: the download itself is a plain link to the admin-session
 * route `/admin/exports/<name>.csv`, streamed by the same ExportsService as the API.
 */
const ExportCsv = ({ action, resource }) => {
  const { href, fileName } = action.custom;

  useEffect(() => {
    window.location.assign(href);
  }, [href]);

  return (
    <Box variant="container" data-testid="export-csv">
      <H3>Export {resource.name} as CSV</H3>
      <Text mb="xl">
        The download of <strong>{fileName}</strong> starts by itself. Rows are streamed from the
        database, so large exports begin at once and finish when the last row is written.
      </Text>
      <Button as="a" href={href} variant="contained" data-testid="export-csv-download">
        <Icon icon="Download" />
        Download {fileName}
      </Button>
    </Box>
  );
};

export default ExportCsv;
