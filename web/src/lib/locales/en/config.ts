/** English texts of the Configuration tab. */
export const config = {
  'config.apiAccess.title': 'API access',
  'config.apiAccess.intro':
    'Machines use the REST API with a bearer token from POST /api/v1/oauth/token (HTTP Basic client_id:client_secret, valid one hour). Each API client has its own secret; revoking a client stops its tokens at once.',
  'config.apiAccess.create': 'Create API client',
  'config.apiAccess.empty': 'No API clients yet.',
  'config.apiAccess.clientId': 'Client ID',
  'config.apiAccess.access': 'Access',
  'config.apiAccess.readOnly': 'Read-only',
  'config.apiAccess.fullAccess': 'Full access',
  'config.apiAccess.createdAt': 'Created',
  'config.apiAccess.createdBy': 'by {name}',
  'config.apiAccess.lastUsed': 'Last used',
  'config.apiAccess.never': 'Never',
  'config.apiAccess.actions': 'Actions',
  'config.apiAccess.revoke': 'Revoke',
  'config.apiAccess.revokeTitle': 'Revoke API client?',
  'config.apiAccess.revokeConfirm':
    '{clientId} and every token issued to it stop working at once. This cannot be undone.',
  'config.apiAccess.revoked': '{clientId} is revoked.',
  'config.apiAccess.name': 'Name',
  'config.apiAccess.nameHint': 'The client ID will be {clientId}. 3 to 40 characters: a–z, 0–9, _ and -.',
  'config.apiAccess.nameInvalid': 'Use 3 to 40 characters: lower-case letters, digits, _ and -.',
  'config.apiAccess.readOnlyLabel': 'Read-only: the client may only read, never change anything',
  'config.apiAccess.ownSecret': 'Choose my own secret instead of a generated one',
  'config.apiAccess.secret': 'Client secret',
  'config.apiAccess.secretHint':
    'At least {min} characters mixing three of: lower-case, upper-case, digits, other characters.',
  'config.apiAccess.secretTooShort': 'Must be at least {min} characters.',
  'config.apiAccess.secretMix': 'Mix at least three of: lower-case, upper-case, digits, other characters.',
  'config.apiAccess.createdTitle': 'API client created',
  'config.apiAccess.secretOnce':
    'Copy the secret now: it is shown only this once and cannot be retrieved later. If it is lost, revoke the client and create a new one.',
  'config.apiAccess.copy': 'Copy',
  'config.apiAccess.copied': 'Copied',
  'config.apiAccess.tokenExample': 'Request a token',
  'config.apiAccess.stored': 'I have stored the secret',
  'config.more.title': 'Network view, limits, data streams and SMS forwarding',
  'config.more.description':
    'Network settings, monthly limits, data streams and SMS forwarding for your organisation.',
};
