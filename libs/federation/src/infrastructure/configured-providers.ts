import { Inject, Injectable } from '@nestjs/common';
import { providersConfig, ProvidersSettings } from '@app/core';
import type { ProviderInfo } from '../domain/model';
import { IdentityProvider, IdentityProviders } from '../domain/ports';
import { GithubIdentityProvider } from './github-provider';
import { OidcIdentityProvider } from './oidc-provider';

/** The providers of AUTH_PROVIDERS, in their configured order. */
@Injectable()
export class ConfiguredProviders extends IdentityProviders {
  private readonly byId = new Map<string, IdentityProvider>();

  constructor(@Inject(providersConfig.KEY) config: ProvidersSettings) {
    super();
    for (const settings of config.providers) {
      const provider = settings.type === 'oidc' ? new OidcIdentityProvider(settings, config.metadataTtlSeconds * 1000) : new GithubIdentityProvider(settings);
      this.byId.set(settings.id, provider);
    }
  }

  list(): ProviderInfo[] {
    return [...this.byId.values()].map((p) => p.info);
  }

  get(id: string): IdentityProvider | undefined {
    return this.byId.get(id);
  }
}
