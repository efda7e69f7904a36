<?php
// The Iswigo request signature and a Guzzle middleware that adds it (docs/clients.md).

function iswigo_signature(string $secret, string $method, string $pathAndQuery, string $body): string
{
    return '$5$' . hash('sha256', $secret . '+' . strtolower($method) . '+' . $pathAndQuery . '+' . $body);
}
