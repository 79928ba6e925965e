using 'main.bicep'

param namePrefix = 'stip7rpt'
param apiAudience = 'api://reporting'
param annualReportSchedule = '0 0 0 1 6 *'
