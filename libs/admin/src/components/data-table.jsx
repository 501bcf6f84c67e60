import React from 'react';
import { Table, TableBody, TableCell, TableHead, TableRow } from '@adminjs/design-system';

/** A table with one header row (`head`: the column titles, null for an untitled one) over `children`. */
export const DataTable = ({ head, children }) => (
  <Table>
    <TableHead>
      <TableRow>
        {head.map((title, i) => (
          <TableCell key={i}>{title}</TableCell>
        ))}
      </TableRow>
    </TableHead>
    <TableBody>{children}</TableBody>
  </Table>
);
