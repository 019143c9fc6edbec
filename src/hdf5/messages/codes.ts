// Object header message types (HDF5 File Format Specification, section IV.A.2): the codes, and the set of
// those this reader knows (it decodes some, in the modules beside this one, and may ignore the rest).

export const MSG = {
  NIL: 0x00,
  DATASPACE: 0x01,
  LINK_INFO: 0x02,
  DATATYPE: 0x03,
  FILL_OLD: 0x04,
  FILL: 0x05,
  LINK: 0x06,
  EFL: 0x07,
  LAYOUT: 0x08,
  BOGUS: 0x09,
  GROUP_INFO: 0x0a,
  FILTERS: 0x0b,
  ATTRIBUTE: 0x0c,
  COMMENT: 0x0d,
  MTIME_OLD: 0x0e,
  SHMESG_TABLE: 0x0f,
  CONTINUATION: 0x10,
  SYMBOL_TABLE: 0x11,
  MTIME: 0x12,
  BTREE_K: 0x13,
  DRIVER_INFO: 0x14,
  ATTR_INFO: 0x15,
  REFCOUNT: 0x16,
  FSINFO: 0x17,
  MDCI: 0x18,
} as const;

/** Message types this reader knows (it decodes some and may ignore the rest); others are unsupported. */
export const KNOWN_MESSAGES = new Set<number>(Object.values(MSG));
