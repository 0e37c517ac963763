# Collection for certificate-based relay through Exchange Online (KB 3169958), read only
# Case: KB-7F3K-92QD. Written for Exchange Server 2010, ruleset 2026.12.3, on 2026-11-05.
# It runs only Get-* cmdlets and reads the send protocol log: it changes nothing.
# Run it twice: in Exchange Online PowerShell after Connect-ExchangeOnline (part 1), and in the Exchange Management Shell on a server that sends to Office 365 (part 2).
# Each run prints one block from the BEGIN line to the END line. Copy the whole block and paste it into the audit page.

'-----BEGIN KB3169958 CONFIGURATION-----'
if (Get-Command -Name Get-InboundConnector -ErrorAction SilentlyContinue) {
    '#### Part: Exchange Online'
    '#### Get-AcceptedDomain'
    Get-AcceptedDomain | Format-List Name,DomainName,DomainType,Default | Out-String -Width 4096
    '#### Get-InboundConnector'
    Get-InboundConnector | Format-List Name,Enabled,ConnectorType,ConnectorSource,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled,TreatMessagesAsInternal,RestrictDomainsToCertificate,WhenChanged,@{Name='SenderDomains';Expression={$_.SenderDomains -join ', '}},@{Name='SenderIPAddresses';Expression={$_.SenderIPAddresses -join ', '}} | Out-String -Width 4096
    '#### Get-OutboundConnector'
    Get-OutboundConnector | Format-List Name,Enabled,ConnectorType,ConnectorSource,UseMXRecord,TlsSettings,TlsDomain,CloudServicesMailEnabled,@{Name='RecipientDomains';Expression={$_.RecipientDomains -join ', '}},@{Name='SmartHosts';Expression={$_.SmartHosts -join ', '}} | Out-String -Width 4096
}
if (Get-Command -Name Get-SendConnector -ErrorAction SilentlyContinue) {
    '#### Part: Exchange Server'
    '#### Get-ExchangeServer'
    Get-ExchangeServer | Format-List Name,Fqdn,AdminDisplayVersion,ServerRole,Edition | Out-String -Width 4096
    '#### Get-SendConnector'
    Get-SendConnector | Format-List Name,Enabled,DNSRoutingEnabled,Fqdn,RequireTLS,TlsAuthLevel,TlsDomain,ProtocolLoggingLevel,Port,@{Name='AddressSpaces';Expression={$_.AddressSpaces -join ', '}},@{Name='SmartHosts';Expression={$_.SmartHosts -join ', '}},@{Name='SourceTransportServers';Expression={$_.SourceTransportServers -join ', '}} | Out-String -Width 4096
    '#### Get-ReceiveConnector'
    Get-ReceiveConnector | Where-Object { $_.Identity -like '*Default*' } | Format-List Identity,Server,Enabled,Fqdn,RequireTLS,TransportRole,@{Name='Bindings';Expression={$_.Bindings -join ', '}},@{Name='TlsDomainCapabilities';Expression={$_.TlsDomainCapabilities -join ', '}} | Out-String -Width 4096
    '#### Get-HybridConfiguration'
    Get-HybridConfiguration | Format-List OnPremisesSmartHost,TlsCertificateName,@{Name='SendingTransportServers';Expression={$_.SendingTransportServers -join ', '}},@{Name='ReceivingTransportServers';Expression={$_.ReceivingTransportServers -join ', '}},@{Name='Domains';Expression={$_.Domains -join ', '}} | Out-String -Width 4096
    foreach ($server in Get-TransportServer) {
        '#### Get-ExchangeCertificate' + ' -Server ' + $server.Name
        foreach ($certificate in Get-ExchangeCertificate -Server $server.Name) {
            $certificate | Format-List Thumbprint,Subject,Issuer,NotBefore,NotAfter,Services,HasPrivateKey,IsSelfSigned,RootCAType,Status,@{Name='CertificateDomains';Expression={$_.CertificateDomains -join ', '}},@{Name='Server';Expression={$server.Name}} | Out-String -Width 4096
            '-----BEGIN CERTIFICATE-----'
            [System.Convert]::ToBase64String($certificate.RawData, [System.Base64FormattingOptions]::InsertLineBreaks)
            '-----END CERTIFICATE-----'
            if ($server.Name -eq $env:COMPUTERNAME) {
                $issuer = $certificate.Issuer
                foreach ($level in @(1, 2, 3)) {
                    $authority = Get-ChildItem -Path Cert:\LocalMachine\CA | Where-Object { $_.Subject -eq $issuer } | Select-Object -First 1
                    if (-not $authority) { break }
                    '-----BEGIN CERTIFICATE-----'
                    [System.Convert]::ToBase64String($authority.RawData, [System.Base64FormattingOptions]::InsertLineBreaks)
                    '-----END CERTIFICATE-----'
                    $issuer = $authority.Issuer
                }
            }
        }
        '#### Get-Queue' + ' -Server ' + $server.Name
        Get-Queue -Server $server.Name | Where-Object { $_.MessageCount -gt 0 -or $_.LastError } | Format-List Identity,DeliveryType,Status,MessageCount,NextHopDomain,LastError | Out-String -Width 4096
    }
    '#### Send protocol log'
    $logs = (Get-TransportServer -Identity $env:COMPUTERNAME).SendProtocolLogPath
    Get-ChildItem -Path $logs -Filter '*.log' | Sort-Object -Property LastWriteTime | Select-Object -Last 3 | Select-String -Pattern 'certificate|TLS negotiation' | Select-Object -Last 40 | ForEach-Object { $_.Line }
}
'-----END KB3169958 CONFIGURATION-----'
