import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { AuthKind, PagingStyle, Portal } from '../transport';

/** What an encoder or a builder may use while turning one item's fields into Bitrix params. */
export interface ItemContext {
	ctx: IExecuteFunctions;
	itemIndex: number;
	auth: AuthKind;
	portal: Portal;
}

/**
 * Turns a field's value into what Bitrix24 expects. Throw a FieldError for bad input; return undefined to send nothing.
 */
export type Encoder = (value: unknown, item: ItemContext) => unknown | Promise<unknown>;

/** The values of the chosen case's fields, by property name: resolved, visible, checked and encoded. */
export type CaseValues = Record<string, unknown>;

/**
 * Turns a switch's chosen case and its fields' values into the switch's param (e.g. the image as base64, the keyboard
 * built from its buttons). Throw a FieldError for bad input; return undefined to send nothing.
 */
export type Combiner = (choice: string, values: CaseValues, item: ItemContext) => unknown | Promise<unknown>;

/** One UI field and where its value goes in the Bitrix call. */
export interface FieldSpec {
	/** The n8n property (displayOptions are added per operation; any given here are merged in). */
	property: INodeProperties;
	/** Dotted path in the call's params: `CHAT_ID`, `PROPERTIES.NAME`, `user.id`. Omit for a field only a combiner reads. */
	param?: string;
	encode?: Encoder;
	/** Send empty strings too (default: an empty value is not sent). */
	sendEmpty?: boolean;
	/** A text field that may also take an array or object from an expression (its encoder reads it, e.g. ID lists). */
	structured?: boolean;
	/**
	 * The longest text a string field takes, in characters: Bitrix24's documented limit (`documented`) or a cap of the
	 * node's own. Default: TEXT_MAX_CHARS, not documented.
	 */
	maxLength?: { chars: number; documented: boolean };
	/** For collections: how each option maps to a param. */
	children?: FieldSpec[];
	/**
	 * A composite ("choice") field: `property` is the switch (type options) and each case value lists the fields shown
	 * for it. Those fields are read only when their case is chosen, checked like any field (required, type, encode),
	 * and either carry their own `param` or reach `combine` by name.
	 */
	cases?: Record<string, FieldSpec[]>;
	/**
	 * For a choice field: the switch's own param value, from the chosen case and its fields' values. A choice field
	 * without a `param` may return an object: its keys fill in params no other field has set.
	 */
	combine?: Combiner;
}

/** Get Many operations: how to page and how to turn a result into rows. */
export interface ListSpec {
	style: PagingStyle;
	rows: (result: unknown) => IDataObject[];
	pageSize?: number;
}

/**
 * Several items of one run packed into one call (imconnector.*.messages: the MESSAGES array).
 * Each item's params are built as for a single call; items with the same `groupKey` share calls, at most `max` entries.
 */
export interface PackSpec {
	arrayParam: string;
	max: number;
	groupKey: (params: IDataObject) => string;
	/**
	 * The answer for the entry at `position` of the packed array: its output, or an error message.
	 * `params` are the item's own params (as built for a single call), e.g. to name its connector and line.
	 */
	unpack: (result: unknown, position: number, params: IDataObject) => { json: IDataObject } | { error: string; code?: string };
}

export interface OperationSpec {
	value: string;
	name: string;
	action: string;
	description: string;
	/** The Bitrix24 method; must be in bitrix24-methods.txt. */
	method: string;
	fields: FieldSpec[];
	/** False for reads: an unknown outcome may then be retried. Default true. */
	write?: boolean;
	/** Constant params sent with every call. */
	constants?: IDataObject;
	/** Last step from item fields to params (checks across fields, builders such as the keyboard). */
	build?: (params: IDataObject, item: ItemContext) => IDataObject | Promise<IDataObject>;
	/**
	 * Shapes a result into the output item (default: objects as they are, scalars under `result`).
	 * Throw a ResultError when a successful answer means failure for this item (e.g. `false` for "line not found").
	 */
	output?: (result: unknown, params: IDataObject) => IDataObject;
	list?: ListSpec;
	pack?: PackSpec;
	/**
	 * Heavy content (a file's bytes) loaded for this item just before its own call — after every item was checked —
	 * so that only one item's content is held at a time. Such operations are sent one call at a time, never batched.
	 */
	load?: (params: IDataObject, item: ItemContext) => Promise<IDataObject>;
	/** Turns the output JSON into the output item, e.g. downloads a file into a binary property. Throw a ResultError for a failure. */
	complete?: (json: IDataObject, item: ItemContext) => Promise<INodeExecutionData>;
	/** Notice shown under the operation dropdown. */
	notice?: string;
}

export interface ResourceSpec {
	value: string;
	name: string;
	description?: string;
	operations: OperationSpec[];
}

/** Bad input for one field: the message names the field and what is allowed. */
export class FieldError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FieldError';
	}
}

/** A 200 answer that is a failure for this item (e.g. imopenlines.config.get → false): becomes the item's error. */
export class ResultError extends Error {
	constructor(
		message: string,
		readonly code = 'NOT_FOUND',
	) {
		super(message);
		this.name = 'ResultError';
	}
}
