using 'main.bicep'

param namePrefix = 'stip7rpt'
param apiAudience = 'api://reporting'
// The API app registration's Application (client) ID: replace with yours before deploying.
param apiClientId = '00000000-0000-0000-0000-000000000000'
param annualReportSchedule = '0 0 0 1 6 *'
