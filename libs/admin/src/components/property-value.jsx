import React from 'react';
import { Badge } from '@adminjs/design-system';

/**
 * Overrides AdminJS's DefaultPropertyValue: an enum value shows its label exactly as configured
 * ("+", "Party · 20–30 people"). AdminJS passes labels through lodash's startCase, which turns
 * an operator into an empty badge and strips the punctuation from a vibe's label.
 */
const PropertyValue = ({ property, record }) => {
  const raw = record?.params?.[property.path];
  if (typeof raw === 'undefined') return null;
  const option = property.availableValues?.find((o) => String(o.value) === String(raw));
  if (option) {
    return (
      <Badge data-testid={`value-${property.path}`} title={String(option.value)}>
        {option.label ?? String(raw)}
      </Badge>
    );
  }
  return raw;
};

export default PropertyValue;
